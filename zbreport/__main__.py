from .start import main

if __name__ == "__main__":  # not when a worker process (spawned on macOS and Windows) imports it
    main()
