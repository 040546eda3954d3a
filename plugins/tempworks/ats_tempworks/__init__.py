"""TempWorks provider plugin for ats-core."""
