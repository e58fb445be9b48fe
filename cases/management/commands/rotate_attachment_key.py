"""Re-encrypt every attachment with the current key (the first of ATTACHMENT_KEYS).

Rotation: put the new key first and keep the old one after it, run this command, then
remove the old key. Files stored before encryption are encrypted by the same run. A file
that no configured key opens, or whose content is not what was uploaded (its SHA-256),
is reported and left as it is; the command then ends with an error, so a missing old key
is noticed before it is removed for good.
"""

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit
from cases.models import Attachment
from meldcode.storage import AttachmentChecksumError, AttachmentKeyError


class Command(BaseCommand):
    help = "Versleutel alle bijlagen opnieuw met de huidige sleutel (ATTACHMENT_KEYS)."

    def handle(self, *args, **options):
        storage = Attachment._meta.get_field("file").storage
        counts = {"rotated": 0, "encrypted": 0, "missing": 0, "unreadable": 0, "changed": 0}
        rows = Attachment.objects.order_by("uploaded_at", "pk").values_list("file", "sha256")
        for name, sha256 in rows.iterator():
            if not storage.exists(name):
                counts["missing"] += 1
                self.stderr.write(f"ontbreekt: {name}")
                continue
            try:
                counts[storage.rewrite(name, sha256=sha256)] += 1
            except AttachmentKeyError:
                counts["unreadable"] += 1
                self.stderr.write(f"geen sleutel past: {name}")
            except AttachmentChecksumError:
                # Not what was uploaded: left exactly as it is, for someone to look at.
                counts["changed"] += 1
                self.stderr.write(f"inhoud wijkt af van de upload (SHA-256): {name}")
        audit("attachment.key_rotated", data=counts)
        self.stdout.write(
            "opnieuw versleuteld: {rotated}, voor het eerst versleuteld: {encrypted}, "
            "ontbrekend: {missing}, onleesbaar: {unreadable}, afwijkend: {changed}"
            .format(**counts))
        if counts["unreadable"] or counts["changed"]:
            raise CommandError("Niet elke bijlage kon worden opnieuw versleuteld; houd de "
                               "oude sleutel en bekijk de genoemde bestanden.")
