"""Change-point detectors, one per module, behind the Detector interface of detectors/base.py."""
