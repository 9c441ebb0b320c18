"""Real Word footnotes for a python-docx document, which has no footnote API of its own.

`Footnotes(doc)` adds the `word/footnotes.xml` part (related to the document part, declared in
[Content_Types].xml when saved) with the two separator footnotes Word expects (w:id -1 and 0), the
styles "footnote text" / "footnote reference" if the template lacks them, and the settings entry naming
the separators. `Footnotes.add(paragraph, text)` appends a reference run (w:footnoteReference) to a body
paragraph and the footnote itself (w:id 1, 2, …): a FootnoteText paragraph that begins with the
w:footnoteRef mark. Word, WPS and LibreOffice then number them and show them at the page foot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.oxml.text.run import CT_R
    from docx.text.paragraph import Paragraph

TEXT_STYLE, REFERENCE_STYLE = "FootnoteText", "FootnoteReference"  # Word's built-in style ids
PARTNAME = "/word/footnotes.xml"
# The two footnotes every footnotes part starts with: the rule above the notes, and its continuation.
SEPARATORS = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
# Children of w:settings that must come after w:footnotePr (the schema fixes their order).
SETTINGS_AFTER_FOOTNOTEPR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def _set_font(run: CT_R, name: str, size: float) -> None:
    """The face for Latin and CJK text (w:eastAsia) and the size, on one run."""
    rpr = run.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    rpr.sz_val = Pt(size)


class Footnotes:
    """The footnotes of one document; `add` writes a reference in the body and its note."""

    def __init__(self, doc: DocumentType, font: str, size: float = 9) -> None:
        self._font, self._size = font, size
        self._element = self._part(doc).element
        ids = [int(n.get(qn("w:id"))) for n in self._element.findall(qn("w:footnote"))]
        self._next_id = max([0, *ids]) + 1
        self._add_styles(doc)
        self._name_separators(doc)

    @staticmethod
    def _part(doc: DocumentType) -> XmlPart:
        """The footnotes part, made (with its separators) when the template has none."""
        for rel in doc.part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external and isinstance(rel.target_part, XmlPart):
                return rel.target_part
        part = XmlPart(PackURI(PARTNAME), CT.WML_FOOTNOTES, parse_xml(SEPARATORS), doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        return part

    def _add_styles(self, doc: DocumentType) -> None:
        """Word's built-in footnote styles, so notes the user adds later look like these."""
        ids = {style.style_id for style in doc.styles}
        if TEXT_STYLE not in ids:
            text = doc.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
            text.style_id, text.base_style = TEXT_STYLE, doc.styles["Normal"]
            text.font.name, text.font.size = self._font, Pt(self._size)
            text.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), self._font)  # CJK face
            text.paragraph_format.space_after = Pt(0)
            text.element.attrib.pop(qn("w:customStyle"), None)  # Word's own style, not a user one
        if REFERENCE_STYLE not in ids:
            reference = doc.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
            reference.style_id = REFERENCE_STYLE
            reference.font.superscript = True
            reference.element.attrib.pop(qn("w:customStyle"), None)

    @staticmethod
    def _name_separators(doc: DocumentType) -> None:
        """w:footnotePr in settings.xml names the separator notes, as Word writes it."""
        settings = doc.settings.element
        if settings.find(qn("w:footnotePr")) is not None:
            return
        pr = OxmlElement("w:footnotePr")
        for footnote_id in ("-1", "0"):
            pr.append(OxmlElement("w:footnote", {qn("w:id"): footnote_id}))
        settings.insert_element_before(pr, *SETTINGS_AFTER_FOOTNOTEPR)

    def add(self, paragraph: Paragraph, text: str, size: float | None = None) -> int:
        """Append a footnote reference to `paragraph` and the note `text`; return the note's w:id.

        `size` is the reference mark's size before superscript (the paragraph's text size, so the mark
        sits right on it)."""
        footnote_id = self._next_id
        self._next_id += 1
        reference = paragraph._p.add_r()
        reference.style = REFERENCE_STYLE
        if size is not None:
            reference.get_or_add_rPr().sz_val = Pt(size)
        reference.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(footnote_id)}))
        note = OxmlElement("w:footnote", {qn("w:id"): str(footnote_id)})
        p = OxmlElement("w:p")
        note.append(p)
        p.style = TEXT_STYLE
        mark = p.add_r()
        mark.style = REFERENCE_STYLE
        mark.append(OxmlElement("w:footnoteRef"))
        body = p.add_r()
        _set_font(body, self._font, self._size)
        body.add_t(f" {text}")
        self._element.append(note)
        return footnote_id
