"""The CSSE global file: each error names its line or column."""

import pytest

from app.errors import AppError
from app.ingest.sniff import FileFormat, parse


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Province/State,Country/Region,Lat,Long\n,France,0,0\n", "no date columns"),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20,1/35/20\n,France,0,0,1,2\n",
            "bad date columns",
        ),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20,1/22/20\n,France,0,0,1,2\n",
            "bad date columns",
        ),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,Atlantis,0,0,1\n", "bad rows"),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,x\n", "bad rows"),
        ("Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,-4\n", "bad rows"),
        (
            "Province/State,Country/Region,Lat,Long,1/22/20\n,France,0,0,1\n,France,0,0,1\n",
            "bad rows",
        ),
    ],
)
def test_global_file_errors_name_the_place(text: str, message: str) -> None:
    with pytest.raises(AppError, match=message) as info:
        parse(text, FileFormat.AUTO, "deaths.csv", None)
    assert info.value.status == 422
    assert info.value.problems, "each error names its line or column"
