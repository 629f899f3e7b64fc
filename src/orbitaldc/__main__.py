"""python -m orbitaldc"""

from orbitaldc.cli import main

if __name__ == "__main__":
    main()
