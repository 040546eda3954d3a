"""ats-bullhorn: Bullhorn's REST API as an ats-core provider (OAuth 2 code flow, REST sessions, JPQL/Lucene reads)."""
