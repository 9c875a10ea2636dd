"""Spark stage: the same detection as :func:`newstrace.detect.detect`, as a batch job.

The job distributes each step with the library's own kernels: sketches in ``mapPartitions``,
MinHash bands, fingerprints and rare terms as keys, each kind grouped in one shuffle whose
per-key lists give up past ``max_bucket`` (so boilerplate shared by thousands of documents never
holds more than ``max_bucket + 1`` ids anywhere), the corpus partitioned by id once so that the
joins that bring documents to candidate pairs move only the pairs, the aligner next to them,
connected components by iterative label propagation (no extra JVM package), and each family's
best-source forest computed where the family lives. Nothing of the
corpus is collected to the driver. Output: Parquet tables with the schema of ``newstrace export``.

With ``semantic=True`` it also proposes rewrites and translations from document vectors, by
the rules of local ``detect --semantic`` (:mod:`newstrace.spark.semantic`), and verifies with
the encoder.

Needs the ``spark`` extra (``pip install 'newstrace[spark]'``) and Java 17; ``semantic`` needs
the ``semantic`` extra on the driver and the executors.
"""

from newstrace.spark.job import run_job

__all__ = ["run_job"]
