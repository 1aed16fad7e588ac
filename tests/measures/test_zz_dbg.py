from tests.measures.test_computed import *  # noqa
from tests.measures.test_computed import tree  # noqa

def test_dbg(agency, casey, tree):
    measure_choose(actor=casey, agency=agency, catalogue_key="inputs_received")
    measure_choose(actor=casey, agency=agency, catalogue_key="meetings_held")
    measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime")
    for month in range(5, 11):
        InputFactory.create(agency=agency, received_at=at(dt.date(2026, month, 3)), area=tree["east"])
        incident(agency, dt.date(2026, month, 4), "robbery", "property", "violent", area=tree["west"])
    with CaptureQueriesContext(connection) as q1:
        measures_refresh(agency=agency, months=6, today=dt.date(2026, 11, 5))
    with CaptureQueriesContext(connection) as q2:
        measures_refresh(agency=agency, months=6, today=dt.date(2026, 11, 5))
    a=[x["sql"][:100] for x in q1.captured_queries]
    b=[x["sql"][:100] for x in q2.captured_queries]
    for x in a: print("A", x)
    for x in b: print("B", x)
    assert 0
