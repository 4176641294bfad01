"""An article's language is decided by its text's share, sentence by sentence: an English report quoting one Russian
sentence is coded from its English sentences, the quote counted as not coded (attacker review after issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

from geodrift.coding.articles import Article, Skipped, read_articles
from geodrift.coding.coder import code_text
from geodrift.coding.language import split_by_language
from geodrift.ingest_text import code_files
from tests.test_cli import run

QUOTE = ("«Мы призываем стороны строго соблюдать режим прекращения огня и вернуться к переговорам в рамках Минской "
         "группы ОБСЕ», — заявил Лавров журналистам после встречи в Москве.")
ENGLISH_WITH_QUOTE = (
    "Russian Foreign Minister Sergei Lavrov met Azerbaijani Foreign Minister Jeyhun Bayramov in Moscow on Monday.\n\n"
    f"{QUOTE}\n\n"
    "Armenia accused Azerbaijan of shelling Stepanakert overnight, the Armenian defence ministry said.")
RUSSIAN = ("Министр иностранных дел России Сергей Лавров в понедельник встретился в Москве с главой МИД Азербайджана "
           "Джейхуном Байрамовым. Стороны обсудили ситуацию в Нагорном Карабахе, сообщает Reuters.\n\n"
           "Лавров призвал Баку и Ереван вернуться к переговорам в рамках Минской группы OSCE.")


def _read(tmp_path: Path, name: str, text: str) -> list[Article | Skipped]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(read_articles([path]))


def test_an_english_article_quoting_russian_is_coded_from_its_english_sentences(tmp_path: Path) -> None:
    """The whole article was skipped: py3langid reads the text with its Russian quote as Russian."""
    items = _read(tmp_path, "lavrov.txt", ENGLISH_WITH_QUOTE)
    [article] = [i for i in items if isinstance(i, Article)]
    [part] = [i for i in items if isinstance(i, Skipped)]
    assert article.language == "en" and "Лавров" not in article.text
    assert article.text.startswith("Russian Foreign Minister") and article.text.endswith("defence ministry said.")
    assert part.partial and part.origin.endswith("lavrov.txt")
    assert part.reason.startswith("1 of 3 sentences not coded") and "'ru'" in part.reason
    coded = code_files([tmp_path / "lavrov.txt"], published="2020-11-10")
    pairs = {(e["actor1_country"], e["event_code"], e["actor2_country"]) for e in coded.events}
    assert {("RUS", "040", "AZE"), ("ARM", "112", "AZE")} <= pairs
    assert coded.articles == 1 and coded.skipped == [part]


def test_the_cli_counts_the_part_not_coded(tmp_path: Path) -> None:
    (tmp_path / "lavrov.txt").write_text(ENGLISH_WITH_QUOTE, encoding="utf-8")
    result = run("code", str(tmp_path / "lavrov.txt"), "--published", "2020-11-10")
    assert result.returncode == 0, result.stderr
    assert any(json.loads(line)["actor1_country"] == "ARM" for line in result.stdout.splitlines())
    assert "skipped in part" in result.stderr and "1 of 3 sentences not coded" in " ".join(result.stderr.split())
    assert "1 article coded" in result.stderr and "0 inputs skipped, 1 in part" in result.stderr


def test_a_russian_article_with_latin_names_is_russian(tmp_path: Path) -> None:
    """Its Latin-script remnants ("Reuters", "OSCE") are too short to tell a language and a small share of the text:
    the article is skipped as Russian, whole, not coded from its names."""
    [item] = _read(tmp_path, "ru.txt", RUSSIAN)
    assert isinstance(item, Skipped) and not item.partial and "'ru'" in item.reason


def test_other_latin_languages_are_still_skipped_whole(tmp_path: Path) -> None:
    [item] = _read(tmp_path, "fr.txt", "Le ministre russe des Affaires étrangères a rencontré son homologue azerbaïdjanais "
                                       "à Moscou lundi. Les deux hommes ont discuté du Haut-Karabakh.")
    assert isinstance(item, Skipped) and "'fr'" in item.reason


def test_a_declared_english_record_still_sets_its_quote_apart(tmp_path: Path) -> None:
    line = json.dumps({"id": "a1", "language": "en", "published": "2020-11-10", "text": ENGLISH_WITH_QUOTE},
                      ensure_ascii=False)
    items = _read(tmp_path, "feed.jsonl", line + "\n")
    assert [type(i).__name__ for i in items] == ["Article", "Skipped"]
    assert "ОБСЕ" not in items[0].text  # type: ignore[union-attr]


def test_azerbaijani_and_turkish_letters_are_latin() -> None:
    """Names written in their own alphabets (Əliyev, Çavuşoğlu) are not another script: nothing is set apart."""
    text = ("Azerbaijani President Ilham Əliyev met Turkish Foreign Minister Mevlüt Çavuşoğlu in Şuşa on Sunday, "
            "the presidential press service said.")
    split = split_by_language(text)
    assert split.text == text and split.set_apart == [] and split.share == 1.0


def test_code_text_sets_the_quote_apart_and_says_so() -> None:
    """``geodrift.code_text`` took its text as English whole, the Russian quote included, and said nothing of it; it
    now codes the English sentences, as ``geodrift code`` does, and ``not_coded`` gives the language and count."""
    events = code_text(ENGLISH_WITH_QUOTE, published="2020-11-10")
    assert {("RUS", "040", "AZE"), ("ARM", "112", "AZE")} <= {
        (e["actor1_country"], e["event_code"], e["actor2_country"]) for e in events}
    assert not any("Лавров" in e["evidence_sentence"] for e in events)
    part = events.not_coded
    assert part is not None and part.partial
    assert (part.language, part.sentences, part.of) == ("ru", 1, 3)
    assert code_text("Armenian and Azerbaijani forces clashed near Tovuz.", published="2020-07-13").not_coded is None


def test_code_text_of_russian_or_undeclared_french_codes_nothing() -> None:
    whole = code_text(RUSSIAN, published="2020-11-10")
    assert whole == [] and whole.not_coded is not None and not whole.not_coded.partial
    assert whole.not_coded.language == "ru" and "is not coded" in whole.not_coded.reason
    french = ("Le ministre russe des Affaires étrangères a rencontré son homologue azerbaïdjanais à Moscou lundi. "
              "Les deux hommes ont discuté du Haut-Karabakh.")
    assert code_text(french, published="2020-11-10").not_coded is None  # declared English by default, as before
    detected = code_text(french, published="2020-11-10", language=None)
    assert detected == [] and detected.not_coded is not None and detected.not_coded.language == "fr"


def test_evidence_offsets_point_into_the_text_given() -> None:
    """The attacker review: with a Russian sentence set apart, evidence_start/end pointed into the text left after
    cutting it out, so a client highlighting the span in the posted text marked the Russian quote."""
    import geodrift

    text = ("Лавров заявил, что Россия готова к переговорам со всеми сторонами конфликта. "
            "Azerbaijan accused Armenia of shelling Ganja on Sunday.")
    events = geodrift.code_text(text, published="2020-10-05")
    assert events and events.not_coded
    for event in events:
        assert text[event["evidence_start"]:event["evidence_end"]] == event["evidence_sentence"]
