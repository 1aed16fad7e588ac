from django.urls import path

from roundtable.problems import views, views_edit, views_team, views_work

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_create, name="create"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/scanning/", views_edit.scanning_edit, name="scanning"),
    path("<int:pk>/analysis/", views_edit.analysis_edit, name="analysis"),
    path("<int:pk>/public/", views_edit.public_edit, name="public"),
    path("<int:pk>/inputs/", views_edit.inputs_link, name="inputs_link"),
    path("<int:pk>/sign-off/", views_edit.sign_off, name="sign_off"),
    path("<int:pk>/members/new/", views_team.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/", views_team.member_edit, name="member_edit"),
    path("<int:pk>/co-leads/", views_team.co_leads_edit, name="co_leads"),
    path("<int:pk>/hypotheses/new/", views_work.hypothesis_add, name="hypothesis_add"),
    path("<int:pk>/hypotheses/<int:item_pk>/", views_work.hypothesis_edit, name="hypothesis_edit"),
    path("<int:pk>/actions/new/", views_work.action_add, name="action_add"),
    path("<int:pk>/actions/<int:item_pk>/", views_work.action_edit, name="action_edit"),
    path("<int:pk>/goals/new/", views_work.goal_add, name="goal_add"),
    path("<int:pk>/goals/<int:item_pk>/", views_work.goal_edit, name="goal_edit"),
    path("<int:pk>/goals/<int:item_pk>/result/", views_work.goal_result, name="goal_result"),
    path("<int:pk>/assessments/new/", views_work.assessment_add, name="assessment_add"),
    path(
        "<int:pk>/assessments/from-incidents/",
        views_work.assessment_from_incidents,
        name="assessment_from_incidents",
    ),
    path("<int:pk>/assessments/<int:item_pk>/", views_work.assessment_edit, name="assessment_edit"),
    path("<int:pk>/meetings/new/", views_work.meetings_add, name="meetings_add"),
    path("<int:pk>/meetings/<int:item_pk>/agenda/", views_work.agenda_edit, name="agenda"),
]
