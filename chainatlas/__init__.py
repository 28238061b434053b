"""chainatlas: Chinese industry-chain intelligence from news and policy pages."""

__version__ = "0.1.0"
__all__ = ["__version__"]
