"""tf.train.Checkpoint and what goes with it: restoring by object graph (with values kept for
variables created later), CheckpointManager, the `checkpoint` state file and readers."""
