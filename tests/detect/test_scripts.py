"""Scripts whose words carry combining marks (Devanagari vowel signs, viramas): a word is one
token, so the evidence counts words a reader counts, and a store sketched by an earlier
tokenizer is detected again from scratch."""

from __future__ import annotations

from pathlib import Path

from newstrace.analyze import MIN_PROSE_WORDS, compare
from newstrace.clean.text import TOKENIZER_VERSION
from newstrace.detect import DetectParams, detect, start_over_if_retokenized
from newstrace.models import Document
from newstrace.store import Store

# News sentences in Hindi (21-26 words each; each ends with a danda).
HINDI = [
    "मुंबई में सोमवार को भारी बारिश के कारण कई इलाकों में पानी भर गया और लोकल ट्रेन सेवाएं कुछ घंटों के लिए रोक दी गईं।",
    "मौसम विभाग ने अगले दो दिनों के लिए शहर में ऑरेंज अलर्ट जारी किया है और लोगों से घरों में रहने की अपील की है।",
    "नगर निगम के अधिकारियों ने बताया कि निचले इलाकों से लगभग दो हजार लोगों को सुरक्षित स्थानों पर पहुंचाया गया है।",
    "स्कूलों और कॉलेजों को मंगलवार को बंद रखने का फैसला किया गया है ताकि बच्चों को किसी तरह का खतरा न हो।",
    "हवाई अड्डे पर कई उड़ानों में देरी हुई और कुछ उड़ानों को दूसरे शहरों की ओर मोड़ दिया गया जिससे यात्रियों को लंबा इंतजार करना पड़ा।",
    "मुख्यमंत्री ने राहत कार्यों की समीक्षा के लिए एक आपात बैठक बुलाई और सभी विभागों को सतर्क रहने का निर्देश दिया।",
]
OTHER = [
    "दिल्ली में आज संसद का शीतकालीन सत्र शुरू हुआ जिसमें कई महत्वपूर्ण विधेयक पेश किए जाने की उम्मीद है।",
    "विपक्ष ने महंगाई और बेरोजगारी के मुद्दे पर सरकार को घेरने की तैयारी की है।",
    "संसदीय कार्य मंत्री ने कहा कि सरकार हर मुद्दे पर चर्चा के लिए तैयार है।",
    "बैठक में कृषि कानूनों और किसानों की मांगों पर भी विस्तार से बात होने की संभावना है।",
]


def test_one_shared_hindi_sentence_counts_its_own_words_and_is_no_excerpt() -> None:
    a = Document(id="a", text=" ".join(HINDI), outlet="X")
    b = Document(id="b", text=" ".join([*OTHER[:2], HINDI[4], *OTHER[2:]]), outlet="Y")
    r = compare(a, b)
    # 26 words, as a reader counts them (cut at every vowel sign they made 44 "words").
    assert r.evidence is not None and r.evidence.words == len(HINDI[4].split()) < MIN_PROSE_WORDS
    assert r.relation == "related"


def test_copied_hindi_paragraphs_are_reuse_with_whole_words(tmp_path: Path) -> None:
    docs = [
        Document(id="a", text=" ".join(HINDI), outlet="X", published="2021-07-01"),
        Document(id="b", text=" ".join([OTHER[0], *HINDI[:4], OTHER[1]]), outlet="Y", published="2021-07-02"),
    ]
    with Store(tmp_path / "hi.db") as store:
        store.add_documents(docs)
        detect(store, DetectParams(workers=1))
        (row,) = store.pairs()
        assert row["relation"] in ("derived", "partial") and row["source"] == "a"
        text = store.get_many(["b"])["b"].text
        spans = [(p["derivative_start"], p["derivative_end"]) for p in store.passages()]
        assert spans
        for start, end in spans:  # passages begin and end at word boundaries
            assert start == 0 or text[start - 1] == " "
            assert end == len(text) or text[end] in " ।"


def test_a_store_sketched_by_another_tokenizer_is_detected_again(tmp_path: Path) -> None:
    docs = [
        Document(id="a", text=" ".join(HINDI), outlet="X"),
        Document(id="b", text=" ".join([OTHER[0], *HINDI[:4], OTHER[1]]), outlet="Y"),
    ]
    with Store(tmp_path / "old.db") as store:
        store.add_documents(docs)
        detect(store, DetectParams(workers=1))
        fresh = [(r["a"], r["b"], r["relation"]) for r in store.pairs()]
        assert store.corpus_stat("tokenizer") == str(TOKENIZER_VERSION).encode()
        assert not start_over_if_retokenized(store)  # same tokenizer: nothing to do
        store.put_corpus_stat("tokenizer", b"1")  # as an earlier newstrace left it
        store.put_doc_vectors("some-encoder@1", [("a", "hash", b"\x00" * 8)])
        assert start_over_if_retokenized(store)
        assert store.pairs() == [] and store.index_hashes() == {}
        assert store.get_doc_vectors("some-encoder@1") == {}  # split by the earlier splitter
        detect(store, DetectParams(workers=1))
        assert [(r["a"], r["b"], r["relation"]) for r in store.pairs()] == fresh
