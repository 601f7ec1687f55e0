"""The funds aggregates, one module each: pure decisions and folds, no I/O, no clock."""
