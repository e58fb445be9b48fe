"""A teacher sees their own class list for this school year, and reports from it."""

from datetime import timedelta

from django.urls import reverse

from audit.models import AccessLog
from meldcode.models import Role
from meldcode.workdays import local_today
from tests.factories import StudentFactory, member, teach


def test_a_teacher_sees_the_pupils_of_their_own_groups_only(client, personas):
    p = personas
    mine = [StudentFactory(school=p.school, first_name=name, last_name="Groep5")
            for name in ("Sem", "Anna")]
    for pupil in mine:
        teach(pupil, p.teacher_not_on_case, group="5b")
    left = StudentFactory(school=p.school, first_name="Weg", left_on=local_today())
    teach(left, p.teacher_not_on_case, group="5b")
    other = StudentFactory(school=p.school, first_name="Ander")
    teach(other, member(Role.LEERKRACHT, p.school, username="meester"), group="6a")
    last_year = StudentFactory(school=p.school, first_name="Vorigjaar")
    teach(last_year, p.teacher_not_on_case, group="4b",
          on=local_today() - timedelta(days=366))
    client.force_login(p.teacher_not_on_case)
    response = client.get(reverse("class_list"))
    groups = response.context["groups"]
    assert [g.name for g in groups] == ["5b"]
    assert groups[0].pupils == sorted(mine, key=lambda s: (s.last_name, s.first_name))
    html = response.content.decode()
    assert "Zorg melden over Sem" in html and "Ander" not in html and "Weg" not in html
    assert "Vorigjaar" not in html
    assert reverse("case_open", args=[mine[0].pk]) in html
    assert AccessLog.objects.filter(what="student.class_list",
                                    user=p.teacher_not_on_case).exists()


def test_without_a_group_the_page_says_so(client, personas):
    client.force_login(personas.oka)
    response = client.get(reverse("class_list"))
    assert response.context["groups"] == []
    assert "bij geen groep als leerkracht" in response.content.decode()


def test_the_class_list_is_bounded(client, personas, django_assert_max_num_queries):
    p = personas
    for i in range(60):
        teach(StudentFactory(school=p.school, last_name=f"K{i}"), p.teacher_not_on_case,
              group=f"{5 + i % 3}a")
    client.force_login(p.teacher_not_on_case)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("class_list"))
    assert sum(len(g.pupils) for g in response.context["groups"]) == 60
