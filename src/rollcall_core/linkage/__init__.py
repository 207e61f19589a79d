"""Record linkage: comparison features, the Fellegi-Sunter model (Splink 5), clustering, evaluation.

Pure Python: never imports django or rollcall.
"""

from rollcall_core.linkage.clustering import Clusters, cluster
from rollcall_core.linkage.comparisons import Comparison, Level, standard_comparisons
from rollcall_core.linkage.evaluate import Scores, cluster_scores, pair_set_scores, pairwise_scores
from rollcall_core.linkage.features import FEATURE_COLUMNS, fold, prepare_record, skeleton, split_name
from rollcall_core.linkage.model import LinkageResult, ModelWeights, PairScore, train_and_predict

__all__ = [
    "FEATURE_COLUMNS", "Clusters", "Comparison", "Level", "LinkageResult", "ModelWeights", "PairScore", "Scores",
    "cluster", "cluster_scores", "fold", "pair_set_scores", "pairwise_scores", "prepare_record", "skeleton",
    "split_name", "standard_comparisons", "train_and_predict",
]  # fmt: skip
