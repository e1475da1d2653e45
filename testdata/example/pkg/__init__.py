"""A package of the example tree."""
from .shapes import area
