"""orbitaldc: does AI compute in orbit cost less than the same compute on the ground?"""

__version__ = "0.1.0"
