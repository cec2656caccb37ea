"""The CV's size cap, applied while the file arrives, on the CV upload view only.

Every URL uses Django's default upload handlers: a small request stays in memory, a larger file
is spooled to a temporary file (``FILE_UPLOAD_MAX_MEMORY_SIZE``), so no request holds its files
in a worker's memory. The road-book view puts ``CappedUploadHandler`` in front of them: it passes
each chunk on until the file passes ``ROADBOOK_CV_MAX_BYTES``, then drops what was stored and
skips the rest of that file (the other fields are still read, so nothing the student typed is
lost), and ``request.refused_uploads`` names the field, so the view can say why.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.passed_on = 0

    def receive_data_chunk(self, raw_data, start):
        size = start + len(raw_data)
        if size > settings.ROADBOOK_CV_MAX_BYTES:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self._full_size(size)
            self.request.refused_uploads = refused
            # The parser closes (and so deletes) what the next handlers stored so far, and reads
            # past the rest of this part without handing it to any handler.
            raise SkipFile
        self.passed_on = size
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file

    def _full_size(self, received):
        """The refused file's size for the message: its part's length when the browser sent it,
        else the request's (the CV makes nearly all of it); never less than what arrived."""
        try:
            declared = int(self.content_length or self.request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        return max(received, declared)
