"""Every .docx zbreport writes must open in Word: ../shared/ooxml/validate.py stands in for Word.

conftest.py runs the validator over every .docx a command run by a test writes (reports in
every template, exported templates) and over the session's built documents; this file checks
the validator is there and catches what it should.
"""

from __future__ import annotations

import zipfile

import pytest

from conftest import VALIDATOR, assert_valid_docx, docx_errors, validator
from zbreport.read.template import default_template

pytestmark = pytest.mark.skipif(
    not VALIDATOR.is_file(), reason=f"{VALIDATOR} not found: no .docx is validated (clone ../shared next to the project)"
)


def test_the_default_template_validates():
    assert validator() is not None
    assert_valid_docx(default_template())


def test_the_validator_catches_elements_out_of_schema_order(tmp_path):
    """The default template's settings as they were: w:defaultTabStop after w:evenAndOddHeaders."""
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(default_template()) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/settings.xml":
                tab = b'<w:defaultTabStop w:val="420"/>'
                data = data.replace(tab, b"").replace(b"<w:evenAndOddHeaders/>", b"<w:evenAndOddHeaders/>" + tab)
            target.writestr(item, data)
    errors = docx_errors(broken)
    assert len(errors) == 1 and "w:defaultTabStop" in errors[0]
