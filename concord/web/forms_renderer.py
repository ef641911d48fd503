from django.forms.renderers import TemplatesSetting


class ConcordFormRenderer(TemplatesSetting):
    """Each field in its own wrapper, so a label, its hint, its errors and its input stay together
    in grids and read in order for a screen reader."""

    field_template_name = "concord/forms/field.html"
