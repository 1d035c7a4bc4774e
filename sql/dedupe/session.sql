-- For the dedupe transaction: no JIT compilation. Its statements run for well under a second, and their cost
-- estimates cross jit_above_cost as soon as a batch has a few thousand articles, so compiling them took longer
-- than running them (0.4 s of the 0.5 s the sentence-holder query took for 1,000 articles).
SET LOCAL jit = off;
