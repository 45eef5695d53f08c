"""Files that tfx_lite writes and reads back: checksummed manifests, arrays files and tensor
bundles (the format of checkpoints, SavedModel variables and Keras weights). Loading never runs
stored code: JSON and numpy arrays only, read with `allow_pickle=False`, every file checked
before anything is built from it."""
