"""`python -m benchmarks`: run every benchmark, print the table, write the JSON file."""

from benchmarks.cli import main

raise SystemExit(main())
