"""Forms for functioneel beheer.

No form here has a password, is_staff or is_superuser field: a beheerder never sets or sees
a password and cannot make a staff or superuser account.
"""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm, BoundedModelForm
from meldcode.models import BOARD_ROLES, SCHOOL_ROLES, Board, Membership, Role, School, User
from meldcode.services.beheer import SCHOOL_FIELDS


class UserFilterForm(BoundedForm):
    q = forms.CharField(label=_("Zoek op naam, gebruikersnaam of e-mail"), max_length=100,
                        required=False, widget=forms.TextInput(attrs={"type": "search"}))
    school = forms.ChoiceField(label=_("School"), required=False)
    rol = forms.ChoiceField(label=_("Rol"), required=False,
                            choices=[("", _("Alle rollen")), *Role.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Actief en gedeactiveerd")), ("actief", _("Actief")),
        ("gedeactiveerd", _("Gedeactiveerd")),
    ])

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("Alle scholen"))] + [
            (str(s.pk), s.name) for s in schools
        ]

    def filter(self, users, boards):
        if not self.is_bound or not self.is_valid():
            return users
        for term in self.cleaned_data["q"].split():
            users = users.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term)
                                 | Q(username__icontains=term) | Q(email__icontains=term))
        if self.cleaned_data["status"]:
            users = users.filter(is_active=self.cleaned_data["status"] == "actief")
        school, role = self.cleaned_data["school"], self.cleaned_data["rol"]
        if school or role:
            # One membership must match both: "AF at De Regenboog", not AF somewhere else.
            held = Membership.objects.filter(user=OuterRef("pk"), board_id__in=boards)
            if school:
                held = held.filter(school_id=school)
            if role:
                held = held.filter(role=role)
            users = users.filter(Exists(held))
        return users


def _place_choices(boards, schools):
    choices = [("", _("Kies een school of het hele bestuur"))]
    for board in boards:
        group = [(f"bestuur:{board.pk}", _("%(board)s (hele bestuur)") % {"board": board.name})]
        group += [(f"school:{s.pk}", s.name) for s in schools if s.board_id == board.pk]
        choices.append((board.name, group))
    return choices


class RoleForm(BoundedForm):
    """One role at one place: a school role at a school, a board role at the board."""

    role = forms.ChoiceField(label=_("Rol"), choices=[("", _("Kies een rol")), *Role.choices])
    place = forms.ChoiceField(label=_("School of bestuur"))

    def __init__(self, *args, boards, schools, **kwargs):
        super().__init__(*args, **kwargs)
        boards, schools = list(boards), list(schools)
        self._places = {f"bestuur:{b.pk}": b for b in boards}
        self._places.update({f"school:{s.pk}": s for s in schools})
        self.fields["place"].choices = _place_choices(boards, schools)

    def clean(self):
        cleaned = super().clean()
        role, key = cleaned.get("role"), cleaned.get("place")
        if not role or not key:
            return cleaned
        place = self._places.get(key)
        if role in SCHOOL_ROLES and not isinstance(place, School):
            self.add_error("place", _("Deze rol hoort bij een school. Kies een school."))
        elif role in BOARD_ROLES and not isinstance(place, Board):
            self.add_error("place", _("Deze rol geldt voor het hele bestuur. Kies het "
                                      "bestuur, geen school."))
        cleaned["place"] = place
        return cleaned


class BaseRoleFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Geef de nieuwe gebruiker minstens één rol."),
        "too_many_forms": _("Geef bij het aanmaken hoogstens tien rollen; voeg er daarna meer "
                            "toe."),
    }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data:
                continue
            key = (form.cleaned_data["role"], form.cleaned_data["place"].pk)
            if key in seen:
                raise forms.ValidationError(_("Dezelfde rol staat er twee keer in."))
            seen.add(key)

    @property
    def filled(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data]


RoleFormSet = forms.formset_factory(RoleForm, formset=BaseRoleFormSet, extra=2, min_num=1,
                                    validate_min=True, max_num=10, validate_max=True)


class UserCreateForm(BoundedForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Hiermee logt de persoon in. Letters, cijfers en . @ + - _"),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hierheen sturen we een link waarmee de persoon zelf een wachtwoord "
                    "instelt."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Deze gebruikersnaam is al in gebruik. Kies een "
                                          "andere."))
        return username


class UserEditForm(BoundedForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    # Explained next to the form (user_edit.html): checkboxes are rendered without help text.
    is_active = forms.BooleanField(label=_("Account actief"), required=False)

    @classmethod
    def for_user(cls, user, data=None):
        return cls(data, initial={"first_name": user.first_name, "last_name": user.last_name,
                                  "email": user.email, "is_active": user.is_active})


class SchoolForm(BoundedModelForm):
    class Meta:
        model = School
        fields = SCHOOL_FIELDS
        widgets = {"other_contacts": forms.Textarea(attrs={"rows": 4}),
                   "address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "letterhead_name": _("Leeg: de naam van de school."),
            "other_contacts": _("Bijvoorbeeld jeugdarts, leerplichtambtenaar, wijkteam. "
                                "Zet hier geen gegevens van leerlingen."),
        }

    logo_upload = forms.FileField(label=_("Logo voor het briefpapier (PNG of JPEG)"),
                                  required=False)

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        boards = list(boards or [])
        if len(boards) > 1:
            self.fields["board"] = forms.ModelChoiceField(
                label=_("Bestuur"), queryset=Board.objects.filter(pk__in=[b.pk for b in boards]),
                empty_label=_("Kies een bestuur"),
            )
            self.order_fields(["board", *SCHOOL_FIELDS])
        self.single_board = boards[0] if len(boards) == 1 else None

    def _post_clean(self):
        # The service writes the model and checks uniqueness per board with a Dutch message;
        # the form only validates the input.
        pass

    def chosen_board(self):
        return self.cleaned_data.get("board") or self.single_board

    def school_fields(self):
        values = {field: self.cleaned_data[field] for field in SCHOOL_FIELDS}
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            values["logo"] = (upload.read(), upload.content_type)
        return values
