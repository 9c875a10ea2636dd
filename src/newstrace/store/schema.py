"""The store's schema, as numbered migrations applied in order (``PRAGMA user_version``)."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: documents with full-text search, learned outlet chrome, rejected inputs.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        input_id TEXT,
        url TEXT,
        canonical_url TEXT,
        outlet TEXT,
        host TEXT,
        title TEXT,
        author TEXT,
        published TEXT,
        language TEXT,
        text TEXT NOT NULL,
        doc_text TEXT NOT NULL,
        raw TEXT NOT NULL,
        attributions TEXT NOT NULL DEFAULT '[]',
        links TEXT NOT NULL DEFAULT '[]',
        boilerplate TEXT NOT NULL DEFAULT '[]',
        outlet_boilerplate TEXT NOT NULL DEFAULT '[]',
        source_path TEXT,
        format TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        supersedes TEXT,
        text_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_canonical_url ON documents(canonical_url);
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_published ON documents(published);
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TABLE outlet_chrome (
        outlet TEXT NOT NULL,
        key TEXT NOT NULL,
        docs INTEGER NOT NULL,
        PRIMARY KEY (outlet, key)
    );
    CREATE TABLE rejections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: the index (sketches per document), verified pairs, their passages, families.
    """
    CREATE TABLE doc_index (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        text_hash TEXT NOT NULL,
        minhash BLOB NOT NULL,
        fingerprints BLOB NOT NULL,
        terms BLOB NOT NULL,
        shingles INTEGER NOT NULL
    );
    CREATE TABLE pairs (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        source TEXT NOT NULL,
        derivative TEXT NOT NULL,
        relation TEXT NOT NULL,
        confidence REAL NOT NULL,
        coverage_source REAL NOT NULL,
        coverage_derivative REAL NOT NULL,
        candidate TEXT NOT NULL,
        report TEXT NOT NULL,
        hash_a TEXT NOT NULL,
        hash_b TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX pairs_source ON pairs(source, relation);
    CREATE INDEX pairs_derivative ON pairs(derivative, relation);
    CREATE TABLE passages (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        idx INTEGER NOT NULL,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        source_start INTEGER NOT NULL,
        source_end INTEGER NOT NULL,
        derivative_start INTEGER NOT NULL,
        derivative_end INTEGER NOT NULL,
        PRIMARY KEY (a, b, idx)
    );
    CREATE TABLE families (
        doc_id TEXT PRIMARY KEY,
        family TEXT NOT NULL,
        derived_from TEXT,
        depth INTEGER NOT NULL
    );
    CREATE INDEX families_family ON families(family);
    CREATE INDEX families_derived ON families(derived_from);
    CREATE TABLE outlet_dirty (outlet TEXT PRIMARY KEY);
    CREATE TABLE embeddings (
        doc_id TEXT NOT NULL,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        doc_vector BLOB NOT NULL,
        PRIMARY KEY (doc_id, model)
    );
    """,
    # 3: the watcher's state (what was fetched, what each source and file gave) and its alerts.
    """
    CREATE TABLE watch_http (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE watch_items (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        doc_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE watch_sources (
        name TEXT PRIMARY KEY,
        last_poll REAL NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_ok TEXT
    );
    CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        derivative TEXT NOT NULL,
        origin TEXT NOT NULL,
        created TEXT NOT NULL,
        flags TEXT NOT NULL,
        payload TEXT NOT NULL,
        jsonl_done INTEGER NOT NULL DEFAULT 0,
        webhook_done INTEGER NOT NULL DEFAULT 0,
        webhook_attempts INTEGER NOT NULL DEFAULT 0,
        UNIQUE (derivative, origin)
    );
    CREATE INDEX alerts_created ON alerts(created);
    """,
    # 4: where each publication date came from (newstrace.models.DATE_SOURCES).
    """
    ALTER TABLE documents ADD COLUMN published_source TEXT;
    """,
    # 5: what each verdict rests on: the fingerprints of its passages (re-verified when their
    # status as common text changes), the kind of direction; the corpus's common text, from
    # each document's form fingerprints (figures made alike; sketches are recomputed once).
    """
    ALTER TABLE pairs ADD COLUMN fingerprints BLOB NOT NULL DEFAULT x'';
    ALTER TABLE pairs ADD COLUMN direction TEXT NOT NULL DEFAULT 'directed';
    CREATE TABLE corpus_stats (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    ALTER TABLE doc_index ADD COLUMN forms BLOB NOT NULL DEFAULT x'';
    DELETE FROM doc_index;
    """,
    # 6: where each document's language came from (newstrace.models.LANGUAGE_SOURCES), and an
    # index to filter by it. Every language stored before this version was a guess of the
    # retired stopword guesser (no reader passed a stated language on): they are cleared, and
    # language_source NULL marks the documents whose language is still to be detected
    # (Store.fill_languages, which ingest and detect run).
    """
    ALTER TABLE documents ADD COLUMN language_source TEXT;
    UPDATE documents SET language = NULL;
    CREATE INDEX documents_language ON documents(language);
    CREATE INDEX documents_language_pending ON documents(seq) WHERE language_source IS NULL;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
