"""``python -m newstrace``: the command line, as the ``newstrace`` script runs it."""

from newstrace.cli import main

if __name__ == "__main__":
    main()
