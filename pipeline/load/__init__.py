"""Load: the warehouse connection, its migrations, and the batch merge of articles."""
