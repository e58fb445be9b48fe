"""Forms of the beheerder's maintenance of the signal lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm
from signals_catalog.models import Category, Signal
from signals_catalog.services import MAX_SIGNAL_AGE

TEXT_MAX = Signal._meta.get_field("text").max_length


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Both blocks have a "Lichamelijk welzijn": the block makes the choice unambiguous.
        if obj.block == Category.Block.SEXUAL_ABUSE:
            return _("%(name)s (seksueel misbruik)") % {"name": obj.name}
        return obj.name


class SignalAddForm(BoundedForm):
    category = CategoryChoiceField(label=_("Categorie"), queryset=Category.objects.none(),
                                   empty_label=_("Kies een categorie"))
    text = forms.CharField(label=_("Tekst van het signaal"), max_length=TEXT_MAX,
                           help_text=_("Kort en feitelijk, zoals de andere signalen."))
    min_age = forms.IntegerField(
        label=_("Geldt vanaf leeftijd"), required=False, min_value=0, max_value=MAX_SIGNAL_AGE,
        help_text=_("Alleen invullen als het signaal pas vanaf een bepaalde leeftijd geldt, "
                    "bijvoorbeeld 12 voor de signalen voor 12-18 jaar."),
    )

    def __init__(self, *args, signal_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = signal_list.categories.order_by("position", "pk")


class SignalRewordForm(BoundedForm):
    text = forms.CharField(label=_("Nieuwe tekst"), max_length=TEXT_MAX)
