"""The built-in layouts: six cities' open-data incident exports.

Each header is the portal's CSV export as published (see `source_url`); the
signature is the handful of columns that tell the layouts apart. Only the
columns named in a profile are read.
"""

from __future__ import annotations

from roundtable.incidents.profiles import Profile, codes, register


def _columns(header: str) -> tuple[str, ...]:
    return tuple(header.split(","))


CHICAGO = register(
    Profile(
        name="chicago",
        title="Chicago: Crimes - 2001 to present",
        source_url="https://data.cityofchicago.org/d/ijzp-q8t2",
        header=_columns(
            "ID,Case Number,Date,Block,IUCR,Primary Type,Description,"
            "Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,"
            "FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,"
            "Location"
        ),
        signature=frozenset({"Case Number", "IUCR", "Primary Type", "FBI Code", "Domestic"}),
        # "ID" is unique per record; the case number can repeat across records.
        source_id="ID",
        date="Date",
        date_formats=("%m/%d/%Y %I:%M:%S %p",),
        time_zone="America/Chicago",
        code="IUCR",
        description="Description",
        context=("FBI Code", "Primary Type"),
        classify=codes.chicago,
        block="Block",
        latitude="Latitude",
        longitude="Longitude",
        sensitive="Domestic",
        notes="One row per incident. Domestic = true marks the incident sensitive.",
    )
)

BOSTON = register(
    Profile(
        name="boston",
        title="Boston: Crime Incident Reports (2015 to present)",
        source_url="https://data.boston.gov/dataset/crime-incident-reports-august-2015-to-date-source-new-system",
        header=_columns(
            "INCIDENT_NUMBER,OFFENSE_CODE,OFFENSE_CODE_GROUP,OFFENSE_DESCRIPTION,"
            "DISTRICT,REPORTING_AREA,SHOOTING,OCCURRED_ON_DATE,YEAR,MONTH,"
            "DAY_OF_WEEK,HOUR,UCR_PART,STREET,Lat,Long,Location"
        ),
        signature=frozenset({"INCIDENT_NUMBER", "OFFENSE_CODE", "OCCURRED_ON_DATE", "STREET"}),
        source_id="INCIDENT_NUMBER",
        date="OCCURRED_ON_DATE",
        # 2015-2018 files: "12/31/15 23:25"; newer ones are ISO.
        date_formats=("%m/%d/%y %H:%M", "%m/%d/%Y %H:%M"),
        time_zone="America/New_York",
        code="OFFENSE_CODE",
        description="OFFENSE_DESCRIPTION",
        context=("OFFENSE_CODE_GROUP",),
        classify=codes.boston,
        block="STREET",
        latitude="Lat",
        longitude="Long",
        notes="One row per offence: rows sharing an INCIDENT_NUMBER are one incident. "
        "Lat/Long -1 means no coordinates.",
    )
)

SAN_FRANCISCO = register(
    Profile(
        name="san_francisco",
        title="San Francisco: Police Department Incident Reports, 2018 to present",
        source_url="https://data.sfgov.org/d/wg3w-h783",
        header=_columns(
            "Incident Datetime,Incident Date,Incident Time,Incident Year,"
            "Incident Day of Week,Report Datetime,Row ID,Incident ID,"
            "Incident Number,CAD Number,Report Type Code,Report Type Description,"
            "Filed Online,Incident Code,Incident Category,Incident Subcategory,"
            "Incident Description,Resolution,Intersection,CNN,Police District,"
            "Analysis Neighborhood,Supervisor District,Supervisor District 2012,"
            "Latitude,Longitude,Point"
        ),
        signature=frozenset({"Incident Datetime", "Incident ID", "Incident Code", "Row ID"}),
        source_id="Incident ID",
        date="Incident Datetime",
        date_formats=("%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S"),
        time_zone="America/Los_Angeles",
        code="Incident Code",
        description="Incident Description",
        context=("Incident Category",),
        classify=codes.san_francisco,
        block="Intersection",
        latitude="Latitude",
        longitude="Longitude",
        notes="One row per offence (Row ID); rows sharing an Incident ID are one incident. "
        "Locations are intersections, not blocks.",
    )
)

SEATTLE = register(
    Profile(
        name="seattle",
        title="Seattle: SPD Crime Data, 2008 to present",
        source_url="https://data.seattle.gov/d/tazs-3rd5",
        header=_columns(
            "Report Number,Offense ID,Offense Start DateTime,Offense End DateTime,"
            "Report DateTime,Group A B,Crime Against Category,Offense Parent Group,"
            "Offense,Offense Code,Precinct,Sector,Beat,MCPP,100 Block Address,"
            "Longitude,Latitude"
        ),
        signature=frozenset({"Report Number", "Offense ID", "Offense Start DateTime"}),
        source_id="Report Number",
        date="Offense Start DateTime",
        date_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"),
        time_zone="America/Los_Angeles",
        code="Offense Code",
        description="Offense",
        context=("Crime Against Category",),
        classify=codes.seattle,
        block="100 Block Address",
        latitude="Latitude",
        longitude="Longitude",
        notes="NIBRS offence codes; one row per offence (Offense ID) under a Report Number. "
        "Coordinates are 0 when unknown.",
    )
)

LOS_ANGELES = register(
    Profile(
        name="los_angeles",
        title="Los Angeles: Crime Data from 2020 to Present",
        source_url="https://data.lacity.org/d/2nrs-mtv8",
        header=_columns(
            "DR_NO,Date Rptd,DATE OCC,TIME OCC,AREA,AREA NAME,Rpt Dist No,Part 1-2,"
            "Crm Cd,Crm Cd Desc,Mocodes,Vict Age,Vict Sex,Vict Descent,Premis Cd,"
            "Premis Desc,Weapon Used Cd,Weapon Desc,Status,Status Desc,Crm Cd 1,"
            "Crm Cd 2,Crm Cd 3,Crm Cd 4,LOCATION,Cross Street,LAT,LON"
        ),
        signature=frozenset({"DR_NO", "DATE OCC", "TIME OCC", "Crm Cd"}),
        source_id="DR_NO",
        date="DATE OCC",
        time="TIME OCC",
        date_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y"),
        time_zone="America/Los_Angeles",
        code="Crm Cd",
        description="Crm Cd Desc",
        extra_codes=("Crm Cd 2", "Crm Cd 3", "Crm Cd 4"),
        classify=codes.los_angeles,
        block="LOCATION",
        latitude="LAT",
        longitude="LON",
        never_read=("Vict Age", "Vict Sex", "Vict Descent", "Mocodes"),
        notes="DATE OCC holds the day, TIME OCC the time as HHMM. LAT/LON are 0 when "
        "unknown. Victim age, sex and descent are never read.",
    )
)

PHILADELPHIA = register(
    Profile(
        name="philadelphia",
        title="Philadelphia: Crime Incidents (OpenDataPhilly)",
        source_url="https://opendataphilly.org/datasets/crime-incidents/",
        header=_columns(
            "the_geom,cartodb_id,the_geom_webmercator,objectid,dc_dist,psa,"
            "dispatch_date_time,dispatch_date,dispatch_time,hour,dc_key,"
            "location_block,ucr_general,text_general_code,point_x,point_y,lat,lng"
        ),
        signature=frozenset({"dc_key", "dispatch_date_time", "ucr_general"}),
        source_id="dc_key",
        date="dispatch_date_time",
        utc_date="dispatch_date_time_utc",
        date_formats=("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %I:%M:%S %p"),
        time_zone="America/New_York",
        code="ucr_general",
        description="text_general_code",
        classify=codes.philadelphia,
        block="location_block",
        latitude="lat",
        longitude="lng",
        alt_latitude="point_y",
        alt_longitude="point_x",
        notes="dispatch_date_time is local time; when the file also has "
        "dispatch_date_time_utc, that column is read as UTC instead. "
        "Coordinates from lat/lng, or point_y/point_x when those are absent.",
    )
)
