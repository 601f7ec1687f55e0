"""Read models built from the events of every office, one module per read model."""
