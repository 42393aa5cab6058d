"""The confusion matrix checks of the MLP: the same contract and checks as the perceptron's."""

from grader.exercises.perceptron.confusion import (confusion_counts, confusion_single_output,  # noqa: F401
                                                   confusion_untouched, scores_accuracy, scores_recall_precision,
                                                   scores_untouched)
