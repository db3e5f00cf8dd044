"""The deployment: deploy/local_stack.py starts its shape on one machine (see deploy/README.md)."""
