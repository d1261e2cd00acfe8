"""Training the learned event classifier (needs the ``train`` extra for torch)."""
