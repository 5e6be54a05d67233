"""The staff web application: thin Django views over ``dossier.corpus.access`` and friends."""
