"""Reading TensorBoard event files back with TensorBoard's own reader."""

from tensorboard.backend.event_processing import event_accumulator


def load_run(run_dir):
    accumulator = event_accumulator.EventAccumulator(
        str(run_dir),
        size_guidance={
            event_accumulator.HISTOGRAMS: 0,
            event_accumulator.SCALARS: 0,
            event_accumulator.IMAGES: 0,
        },
    )
    accumulator.Reload()
    return accumulator
