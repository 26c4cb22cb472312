from django import forms
from django.conf import settings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    """Upload one or more review reports (PDF, DOCX or TXT)."""

    files = MultipleFileField(
        label="Review reports",
        help_text="PDF, Word (DOCX) or text files, up to "
        f"{settings.REVIEWHUB_MAX_UPLOAD_BYTES // (1024 * 1024)} MB each. Scanned PDFs need OCR first.",
        error_messages={"required": "Choose at least one file to upload."},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > 200:
            raise forms.ValidationError("Upload at most 200 files at once.")
        for f in files:
            if f.size > settings.REVIEWHUB_MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    f"{f.name} is larger than the "
                    f"{settings.REVIEWHUB_MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit."
                )
        return files


class OverrideForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why is this not personal data?",
        error_messages={"required": "Give a reason for keeping this text."},
    )


class CandidateDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
