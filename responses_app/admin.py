from django.contrib import admin

from .models import Document, StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["sha256", "size", "content_type", "created_at"]
    search_fields = ["sha256"]
    readonly_fields = ["sha256", "size", "content_type", "content", "created_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "request", "event", "uploaded_by", "created_at"]
    search_fields = ["name", "request__reference"]
    raw_id_fields = ["request", "event", "stored"]
