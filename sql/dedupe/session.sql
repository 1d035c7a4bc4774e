-- For the dedupe transaction. No JIT compilation: its statements run for well under a second, and their cost
-- estimates cross jit_above_cost as soon as a batch has a few thousand articles, so compiling them took longer
-- than running them (0.4 s of the 0.5 s the sentence-holder query took for 1,000 articles). Random page reads
-- priced as on solid-state or cached storage: the candidate join probes a few hundred thousand band keys into
-- btrees of millions, and at the default price (set for spinning disks) the planner reads whole tables instead
-- (3.8 s rather than 0.8 s for 5,000 articles against 200,000).
SET LOCAL jit = off;
SET LOCAL random_page_cost = 1.1;
