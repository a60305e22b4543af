# Heartland in a container: docker build -t heartland . && docker run -p 8501:8501 heartland
# Saved scenarios go to a DuckDB file in $HEARTLAND_CACHE (mount a volume there), or to PostgreSQL with
# -e HEARTLAND_DATABASE_URL=postgresql://user:password@host:5432/db (replicas behind a proxy share them).
# The command line runs from the same image: docker run heartland python -m heartland solve --help
FROM python:3.11-slim
WORKDIR /app
# the PDF brief embeds DejaVu Sans (analytics/present/brief/pdf.py)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV HEARTLAND_CACHE=/tmp/heartland
# the reference database built into the image, so the first visitor does not wait for it
RUN python -c "from analytics.data import store; store.reference_connection().close()"
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
