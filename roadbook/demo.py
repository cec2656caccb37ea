"""Demo road-book: the demo student's draft, half written."""

from roadbook.models import Roadbook


def seed(context):
    mentorship = context["mentorships"]["accepted"]
    _roadbook, created = Roadbook.objects.get_or_create(
        mentorship=mentorship,
        defaults={
            "professional_project": "Become a data scientist in the energy sector, working on demand forecasting "
            "for a utility or a grid operator in France.",
            "path_and_motivations": "General engineering, then a data-science specialization; an internship at a "
            "solar start-up where I built my first forecasting model. I want my work to help the energy transition.",
            "specialization_link": "",
            "targets": "Utilities (EDF, Engie), grid operators (RTE, Enedis), energy start-ups; Paris or Lyon.",
        },
    )
    context.setdefault("created", {})["road-books"] = int(created)


def demo_cv(name, headline):
    """A one-page PDF CV for a demo student, built by hand (no rendering engine needed): a real PDF
    that opens in any viewer, with the student's name and headline."""

    def text(value):
        return value.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = (
        b"BT /F1 22 Tf 72 760 Td (" + text(name) + b") Tj ET\n"
        b"BT /F1 12 Tf 72 735 Td (" + text(headline) + b") Tj ET\n"
        b"BT /F1 10 Tf 72 700 Td (Curriculum vitae - demo document of the alumni mentoring programme.) Tj ET\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return pdf
