"""The lab scripts, one per lecture experiment; run as ``python -m labs.<name>``."""
