"""Offline evaluation of recommenders on a train/test split of (user, item) pairs."""
