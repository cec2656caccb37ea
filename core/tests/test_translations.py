"""The French catalogue is complete and follows French typography, whoever added the strings."""

import re
from pathlib import Path

from django.conf import settings

# Every catalogue of ours: the French one, and the English one that puts allauth's titles in
# sentence case.
CATALOGUES = sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/django.po"))
FRENCH = [path for path in CATALOGUES if path.parent.parent.name == "fr"]


def _unquote(line):
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape").encode("latin-1").decode()


def entries(path):
    """Each entry of a .po file: {"flags", "msgid", "msgstr": [forms]} (obsolete ones left out)."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        entry, current = {"flags": set(), "msgid": "", "msgstr": []}, None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid ", "msgid_plural ", "msgctxt ")):
                current = line.split(" ", 1)[0]
                if current == "msgid":
                    entry["msgid"] = _unquote(line)
            elif line.startswith("msgstr"):
                current = "msgstr"
                entry["msgstr"].append(_unquote(line))
            elif line.startswith('"') and current == "msgid":
                entry["msgid"] += _unquote(line)
            elif line.startswith('"') and current == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
        if entry["msgid"] or (entry["msgstr"] and entry["flags"]):
            yield entry


def test_the_catalogues_exist():
    assert [path.parent.parent.name for path in CATALOGUES] == ["en", "fr"]
    assert sum(1 for path in FRENCH for _ in entries(path)) > 100


def test_no_entry_is_untranslated_or_fuzzy():
    problems = [
        f"{path.parent.parent.name}: {'fuzzy' if 'fuzzy' in entry['flags'] else 'untranslated'}: {entry['msgid']!r}"
        for path in CATALOGUES
        for entry in entries(path)
        if "fuzzy" in entry["flags"] or not entry["msgstr"] or not all(form.strip() for form in entry["msgstr"])
    ]
    assert not problems, "\n".join(problems)


# A high punctuation mark glued to the word before it: "Échéance:" instead of "Échéance :".
# Times (08:00), addresses (https://), ratios and placeholders' own syntax are left out.
GLUED = re.compile(r"(?<![\s\d:/%(])[^\s\d:/(\[{«\"'][:;?!](?=\s|$)")


def test_french_punctuation_has_its_space():
    problems = [
        f"{entry['msgid']!r} → {form!r}"
        for path in FRENCH
        for entry in entries(path)
        for form in entry["msgstr"]
        if GLUED.search(re.sub(r"%\([a-z_]+\)[sdf]|\{[^}]*\}|https?://\S+", "x", form))
    ]
    assert not problems, "\n".join(problems)
