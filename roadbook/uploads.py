"""An upload handler that keeps files in memory up to the CV cap and refuses anything larger.

Django's default handlers spool uploads over 2.5 MB to a temporary file before any validation
runs. This one never writes to disk: a file over ``ROADBOOK_CV_MAX_BYTES`` is dropped while it
arrives (the rest of the form is still read, so nothing the user typed is lost), and
``request.refused_uploads`` names the field, so the view can say why.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class CappedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.buffer = BytesIO()
        self.size = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > settings.ROADBOOK_CV_MAX_BYTES:
            self.too_large = True
            self.buffer = BytesIO()  # what arrived so far is let go, and so is the rest
        elif not self.too_large:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.too_large:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = file_size
            self.request.refused_uploads = refused
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )
