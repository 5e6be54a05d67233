"""A deterministic sample corpus for ``dossier demo`` and the end-to-end tests.

``generate(out, messages=3000, seed=714)`` writes a leaked intelligence firm's mail under ``out``
(mbox, Maildir, loose .eml files, a zip) and returns the ``Manifest`` of exact expected counts.
"""

from dossier.demo.generator import generate
from dossier.demo.manifest import Manifest

__all__ = ["Manifest", "generate"]
