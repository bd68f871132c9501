"""The domain: records shared by storage, services and render (see ``records``)."""
