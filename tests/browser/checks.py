"""What the browser suite checks on every page it walks: axe-core, sideways scrolling, English
left on a French page.

axe-core is vendored from the npm registry (tests/browser/vendor/axe.min.js, axe-core 4.14.1,
MPL-2.0; `npm pack axe-core@4.14.1` to refresh) and injected by Playwright into the page, so the
page's CSP does not apply to it.
"""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import trans_real

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
# What fails the suite; moderate and minor findings are reported by axe but not enforced.
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def _axe_source():
    return AXE.read_text(encoding="utf-8")


def axe_violations(page):
    """axe-core's serious and critical violations on the page as it stands, as readable lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (a
        # <script> tag would be refused, as it should be).
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async () => await axe.run(document, {resultTypes: ['violations'],
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']} — {targets}")
    return lines


def horizontal_overflow(page):
    """How many pixels the page scrolls sideways (0 when it fits the viewport's width)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@cache
def _english_msgids():
    """Every English text that the French catalogues (ours, Django's, allauth's, django-filter's…)
    translate into something else: shown as it is on a French page, it is English left over."""
    catalog = trans_real.translation("fr")._catalog
    english = set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, index)
            continue
        msgid = msgid.split("\x04")[-1]  # drop a context
        if msgid and msgstr != msgid and re.search(r"[A-Za-z]{2}", msgid) and "%" not in msgid:
            english.add(msgid.strip())
    # A language's own name ("English" in the language menu) is right in every language.
    return english - {name for _code, name in settings.LANGUAGES}


TEXTS_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, [data-no-i18n-check]')) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], input[type=submit]')) {
    for (const attr of ['aria-label', 'placeholder', 'title', 'value']) {
      if (attr === 'value' && el.type !== 'submit') continue;
      const value = (el.getAttribute(attr) || '').trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}"""


def english_left(page):
    """The texts of a French page that are an English msgid shown untranslated."""
    english = _english_msgids()
    return sorted({text for text in page.evaluate(TEXTS_JS) if text.rstrip(" :.") in english or text in english})


# A word glued to a high punctuation mark (French puts a space before : ; ? !); times and
# addresses are not words.
_GLUED = re.compile(r"[^\W\d_][:;?!](?=\s|$)")


def glued_punctuation(page):
    """The texts of a French page where : ; ? or ! follows a word without a space."""
    return sorted({text for text in page.evaluate(TEXTS_JS) if _GLUED.search(text)})


def navbar_wraps(page):
    """Whether the navbar's menu button went below the brand (they share one line when it fits)."""
    return page.evaluate(
        """() => {
          const brand = document.querySelector('.navbar-brand'), toggler = document.querySelector('.navbar-toggler');
          if (!brand || !toggler || toggler.offsetParent === null) return false;
          const b = brand.getBoundingClientRect(), t = toggler.getBoundingClientRect();
          return t.top >= b.bottom - 1 || b.top >= t.bottom - 1;
        }"""
    )


# Words that only English uses; two of them in a text that reads the same on the English and the
# French page, and that nobody typed, is English the catalogue never saw (a string not marked for
# translation).
ENGLISH_WORDS = {"the", "and", "your", "you", "to", "of", "with", "for", "is", "are", "this", "not", "by", "on"}


def untranslated_text(texts_fr, texts_en, typed):
    found = set()
    for text in set(texts_fr) & set(texts_en):
        words = re.findall(r"[a-z]+", text.lower())
        if sum(word in ENGLISH_WORDS for word in words) >= 2 and not any(text in value for value in typed):
            found.add(text)
    return sorted(found)


def page_texts(page):
    return page.evaluate(TEXTS_JS)
