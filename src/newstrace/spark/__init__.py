"""Spark stage: the same detection as :func:`newstrace.detect.detect`, as a batch job.

The job distributes each step with the library's own kernels: sketches in ``mapPartitions``,
MinHash bands, fingerprints and rare terms as keys (hot keys counted and dropped before any
grouping, so boilerplate shared by thousands of documents cannot swamp one executor), the
aligner in ``mapPartitions``, connected components by iterative label propagation (no extra JVM
package), and each family's best-source forest computed where the family lives. Nothing of the
corpus is collected to the driver. Output: Parquet tables with the schema of ``newstrace export``.

Needs the ``spark`` extra (``pip install 'newstrace[spark]'``) and Java 17.
"""

from newstrace.spark.job import run_job

__all__ = ["run_job"]
