"""What the labs share: TensorFlow set-up, MNIST, the training loop, logging, the command line."""
