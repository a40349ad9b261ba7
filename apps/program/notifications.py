"""Mail to applicants about the outcome of their registration or application (SPEC §10): a training seat or
the waiting list (with the place on it), packaging aid or a festival booth accepted, or rejected with the
reason. Sent after commit (`mail_on_commit`) to the members of the business's shop; the text is the same an
operator can copy into WhatsApp (`decision_message`)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.formatting import tanggal
from apps.orders.notifications import mail_on_commit, seller_emails
from apps.program.models import Kind, Participant, Status


def owner_emails(participant: Participant) -> list[str]:
    """The e-mail addresses of the people acting for the participant's business (its shop's members)."""
    seller = getattr(participant.business, "seller", None) if hasattr(participant.business, "seller") else None
    return seller_emails(seller) if seller is not None else []


def _link(participant: Participant) -> str:
    name = {
        Kind.TRAINING: "program:my_trainings",
        Kind.PACKAGING: "program:my_packaging",
        Kind.FESTIVAL: "program:my_festivals",
    }[Kind(participant.programme.kind)]
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + reverse(name)


def decision_message(participant: Participant, *, reason: str = "", position: int | None = None) -> str:
    """The decision in words, addressed to the owner; empty for a status that decides nothing."""
    p = participant.programme
    facts = {
        "owner": participant.business.owner.name,
        "business": participant.business.name,
        "title": p.title,
        "date": tanggal(p.start_date),
        "place": p.place or "–",
        "link": _link(participant),
        "reason": reason or _("tidak disebutkan"),
        "position": position or "–",
    }
    status = participant.status
    if status == Status.REGISTERED and p.kind == Kind.TRAINING:
        text = _(
            "Yth. %(owner)s (%(business)s), Anda mendapat kursi di %(title)s, %(date)s, %(place)s. "
            "Kode QR kehadiran ada di %(link)s."
        )
    elif status == Status.WAITING:
        text = _(
            "Yth. %(owner)s (%(business)s), kuota %(title)s (%(date)s) sudah penuh; Anda di daftar tunggu "
            "urutan ke-%(position)s. Bila ada kursi kosong, kami tawarkan dengan batas waktu konfirmasi. "
            "Lihat %(link)s."
        )
    elif status == Status.ACCEPTED:
        text = _(
            "Yth. %(owner)s (%(business)s), selamat: usulan/pendaftaran Anda di %(title)s diterima. "
            "Langkah berikutnya ada di %(link)s."
        )
    elif status == Status.REJECTED:
        text = _(
            "Yth. %(owner)s (%(business)s), mohon maaf, usulan/pendaftaran Anda di %(title)s belum dapat "
            "diterima. Alasan: %(reason)s. Lihat %(link)s."
        )
    else:
        return ""
    return str(text % facts) + " " + _("— Dinas Koperasi dan UKM")


def mail_decision(participant: Participant, *, reason: str = "", position: int | None = None) -> None:
    """Mail the decision after commit (nothing for a status that decides nothing or without an address)."""
    body = decision_message(participant, reason=reason, position=position)
    if not body:
        return
    subject = {
        Status.REGISTERED: _("Pendaftaran diterima: %(t)s"),
        Status.WAITING: _("Daftar tunggu: %(t)s"),
        Status.ACCEPTED: _("Diterima: %(t)s"),
        Status.REJECTED: _("Hasil seleksi: %(t)s"),
    }[Status(participant.status)] % {"t": participant.programme.title}
    mail_on_commit(to=owner_emails(participant), subject=subject, body=body)
