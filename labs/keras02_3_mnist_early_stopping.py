"""Seed 002, example 3: MNIST softmax, keeping the best epoch.

One Dense(10, softmax) layer on all 60,000 training images, Adam, batch 200, at most 32 epochs,
the 10,000 test images as validation data. The weights are saved whenever the validation loss
improves (ModelCheckpoint, save_best_only) and training stops after 10 epochs without improvement
(EarlyStopping, patience 10). The best epoch's weights are restored for the final test: best
val_loss 0.2612 (epoch 25), accuracy 0.9266 in the document.
"""
from common.dense import dense_classifier
from common.keras_docs import build_parser, run_keras_doc
from common.lab import main_guard

LEARNING_RATE = 0.001  # Keras's Adam default
MAX_EPOCHS = 32
BATCH_SIZE = 200
PATIENCE = 10
REPORTED_ACCURACY = 0.9266


def build(hp):
    return dense_classifier(hp, hidden=[])  # Dense(units=10, input_dim=784, activation='softmax')


def main(argv=None):
    parser = build_parser("keras02-early-stopping", __doc__, epochs=MAX_EPOCHS,
                          learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE)
    parser.add_argument("--patience", type=int, default=PATIENCE,
                        help=f"epochs without a better val_loss before stopping (default {PATIENCE})")
    args = parser.parse_args(argv)
    return run_keras_doc(args, build, reported=REPORTED_ACCURACY, patience=args.patience)


if __name__ == "__main__":
    main_guard(main)
