// The public form's map point, as an enhancement: without JavaScript (or
// without tiles) the latitude and longitude fields are the whole feature. With
// it, a Leaflet map fills those fields when the person taps a place, and shows
// the point already typed in.
(function () {
  "use strict";

  function field(id) {
    return document.getElementById(id);
  }

  function setUp(box) {
    if (typeof window.L === "undefined") {
      return;
    }
    var L = window.L;
    var latitude = field(box.dataset.latitudeField);
    var longitude = field(box.dataset.longitudeField);
    if (!latitude || !longitude) {
      return;
    }
    box.hidden = false;
    var centre = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    var map = L.map(box.querySelector(".rt-point-map-canvas"), {
      scrollWheelZoom: false
    }).setView(centre, parseInt(box.dataset.zoom, 10) || 13);
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: box.dataset.attribution
    }).addTo(map);
    var marker = null;

    function show(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.circleMarker([lat, lon], { radius: 9 }).addTo(map);
      }
    }

    function fromFields() {
      var lat = parseFloat(latitude.value);
      var lon = parseFloat(longitude.value);
      if (!isNaN(lat) && !isNaN(lon)) {
        show(lat, lon);
      }
    }

    map.on("click", function (event) {
      // Six decimals, as stored: about 10 cm, more than enough.
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      show(event.latlng.lat, event.latlng.lng);
      box.querySelector(".rt-point-map-status").textContent =
        box.dataset.chosen + " " + latitude.value + ", " + longitude.value;
    });
    latitude.addEventListener("change", fromFields);
    longitude.addEventListener("change", fromFields);
    fromFields();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-point-map]").forEach(setUp);
  });
})();
