from django.conf import settings
from django.db import models


def blob_path(instance: "StoredFile", filename: str) -> str:
    return f"blobs/{instance.sha256[:2]}/{instance.sha256}"


class StoredFile(models.Model):
    """File content stored once, named by its SHA-256, whatever it was called."""

    sha256 = models.CharField(max_length=64, unique=True)
    content = models.FileField(upload_to=blob_path, max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} bytes)"


class Document(models.Model):
    """A file as it reached a request: its safe name and the event it came with."""

    request = models.ForeignKey(
        "requests_app.FoiRequest", on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        "requests_app.RequestEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
